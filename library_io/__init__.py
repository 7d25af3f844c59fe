"""Moving a standards library in and out: OSCAL catalogs (JSON and XML) and CSV files.

Readers turn a file into ``LibraryEntry`` values (one standard each, identified by its key);
``importer.import_library`` turns entries into the standards commands that create, revise,
publish or retire standards, so an import is recorded like any committee decision and a second
import of the same file records nothing.
"""
