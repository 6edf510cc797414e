"""Harvesting other portals into the catalogue: CKAN portals (Action API) and DCAT catalogues
(Turtle, RDF/XML, JSON-LD, with Hydra paging).

A harvester turns a source into :class:`Record` objects; :func:`konzeptk.opendata.harvest.run.harvest` stores
them. One bad record is written into the run's report and never stops the run; a record whose content did not
change is not written again; a dataset the source no longer has is removed – but only after a run that read the
whole source.
"""
