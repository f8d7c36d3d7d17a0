"""`python -m dvcq` runs the command line."""
from dvcq.cli import main

main(prog_name="dvcq")
