"""What analysts use beside the Parquet and CSV: the Excel workbook, the described data
package, the database file, the HTML report and the pages that link the versions."""
