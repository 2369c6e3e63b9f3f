"""The world: the Mesa model, its agents, the day's processes and the record it lives through.

Mesa 3.3 names each of its module loggers by calling `inspect.stack()` at import, which asks
`inspect.getmodule` about every frame on the stack; for the import machinery's frozen frames the
answer is never cached, so each one scans all of `sys.modules` (about 0.35 s of a command-line
run, imported deep in Hydra's call stack). Telling `inspect`'s file-to-module cache where those
frames come from (`inspect.modulesbyfile`, undocumented but stable since Python 3.0) answers
them at once and changes nothing else.
"""

import inspect

for _name in ("importlib._bootstrap", "importlib._bootstrap_external"):
    inspect.modulesbyfile.setdefault(f"<frozen {_name}>", _name)
