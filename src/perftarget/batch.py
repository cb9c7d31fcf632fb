"""Many tables at once: a folder on all cores, or Arrow/pandas batches for Dask and Spark.

``process_folder`` reviews, evaluates or monitors every document of a folder with a pool
of processes and writes one result table (CSV or Parquet); a failing file becomes a row
with its path and reason and does not stop the others. ``process_frame`` /
``process_arrow`` (and ``map_pandas`` / ``map_arrow`` for ``mapInPandas`` /
``mapInArrow``) run the same per-table functions on batches of documents held as JSON
text in a column, which is how a distributed engine calls them. See the scale guide.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from perftarget._batch import (
    BatchFailure,
    BatchOptions,
    BatchSummary,
    find_documents,
    map_arrow,
    map_pandas,
    process_arrow,
    process_folder,
    process_frame,
    process_record,
    read_frame,
    result_columns,
    result_ddl,
    result_schema,
)

__all__ = [
    "BatchFailure",
    "BatchOptions",
    "BatchSummary",
    "find_documents",
    "map_arrow",
    "map_pandas",
    "process_arrow",
    "process_folder",
    "process_frame",
    "process_record",
    "read_frame",
    "result_columns",
    "result_ddl",
    "result_schema",
]
