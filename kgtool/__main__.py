from kgtool.cli import main

main()
