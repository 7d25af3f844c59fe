"""Moving a standards library in and out: OSCAL catalogs (JSON and XML) and CSV files.

Readers turn a file into ``LibraryEntry`` values (one standard each, identified by its key);
``plan.plan_import`` works out what an import would create, revise, publish, retire or bring in
as withdrawn without recording anything (the dry run), and ``importer.import_library`` carries
the same plan out as standards commands, so an import is recorded like any committee decision
and a second import of the same file records nothing.
"""
