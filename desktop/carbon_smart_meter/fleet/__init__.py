"""Fleet analytics: many devices' session files verified into a Parquet lake and queried with DuckDB.

`csm fleet ingest` verifies each session file with `energy.verified.verify_file` (what `csm verify`
runs) and writes its 1 s roll-ups and checkpoints as Hive-partitioned Parquet (device=…/date=…),
content-addressed by the file's SHA-256 so the same file twice changes nothing; the raw samples stay in
the HDF5 files. `csm fleet report` runs the fleet's queries and fraud checks on DuckDB (embedded);
ingest scales out on a Dask distributed cluster; `csm fleet export` writes an anonymised data set.
"""
