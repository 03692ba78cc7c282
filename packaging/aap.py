"""Entry script of the one-file executable: PyInstaller freezes a script, not the
`[project.scripts]` entry point, so this is that entry point written out."""

from assistant.cli import main

raise SystemExit(main())
