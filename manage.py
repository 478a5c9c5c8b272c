#!/usr/bin/env python
"""Django's usual entry point; `tsunagu` (the console command) does the same."""

from tsunagu.__main__ import main

if __name__ == "__main__":
    main()
