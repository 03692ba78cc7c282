"""aap: a terminal assistant for answering the ARS calls for projects (appels à projets)."""

__version__ = "0.1.0"
