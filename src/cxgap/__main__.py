from cxgap.cli import main

main()
