import AutoCoderCommands

await Main.main()
