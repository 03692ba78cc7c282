"""The Word writer: the dossier as a document (`document`), its look (`style`), real Word lists
(`lists`) and the OOXML helpers python-docx lacks (`ooxml`)."""
