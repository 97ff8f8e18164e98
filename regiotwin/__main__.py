from regiotwin.cli import main

main()
