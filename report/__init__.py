"""What analysts look at beside the tables: a described data package and an HTML report,
both built from a published annex folder."""
