from konzeptk.cli import main

main()
