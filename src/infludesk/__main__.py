from infludesk.cli import main

main()
