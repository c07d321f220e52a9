from villagepump.cli import main

main()
