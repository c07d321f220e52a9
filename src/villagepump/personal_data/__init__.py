"""A user's own data: the export zip (export.py) and the command line (cli.py). The actions that
ask for, build and erase it are actions/data_exports.py and actions/erase_user.py."""
