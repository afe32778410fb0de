"""The official text of the law beside the rule base: a local store of the consolidated text
(`store`), filled from the Vlaamse Codex Open Data API (`fetch`, parsing in `codex`) or from a file
the user saved (`importer`), and a check of every citation in rules/ against it (`check`)."""
