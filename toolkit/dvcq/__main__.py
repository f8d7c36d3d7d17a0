"""`python -m dvcq` runs the command line."""
from .cli import main

main(prog_name="dvcq")
