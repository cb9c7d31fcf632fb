"""Root pytest configuration: which source files the doctest collector must not import."""

collect_ignore_glob = ["src/perftarget/__main__.py", "src/perftarget/*/__main__.py", "docs/conf.py"]
