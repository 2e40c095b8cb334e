-- Region writes bump stats_version themselves, once per import batch, instead of a trigger
-- per row: a trigger fired for each of the national file's 91,599 rows cost about as much as
-- the inserts themselves (issue 16). Regions are written only by the region import
-- (RegionService.importCSV, which every Pilar process goes through) and the demo seed of a
-- new database; a hand edit in the sqlite3 shell must bump stats_version itself.
DROP TRIGGER stats_version_regions_insert;
DROP TRIGGER stats_version_regions_update;
DROP TRIGGER stats_version_regions_delete;
