"""Pipeline stage: run annex files through extract, normalize and validate, and publish.

Kept import-free so that `python -m pipeline run` can answer "nothing to do"
without loading the heavy stages.
"""

PIPELINE_VERSION = "0.3.0"
