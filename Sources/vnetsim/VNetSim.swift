import ArgumentParser

@main
struct VNetSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vnetsim",
        abstract: "A discrete-event network performance simulator of virtualized hosts (Hyper-V, Virtual Server).",
        discussion: """
            Run a scenario (a YAML file in Scenarios/) and get throughput, host CPU overhead by \
            component and core, latency percentiles and drops by cause, written to \
            Results/<scenario>/<run-id>/ as Markdown, JSON and CSV. Studies run many runs of one scenario, \
            each in a process of its own, --jobs at a time, with confidence intervals over replications: `sweep` \
            (parameter studies), `compare` (variants with common random numbers), `plan` (the largest VM count or \
            load that meets service-level objectives) and `merge` (the shards of a study run on several machines).

            scripts/install [PREFIX] puts vnetsim on PATH with its plot scripts, the shipped \
            scenarios and shell completions; `vnetsim --generate-completion-script bash|zsh|fish` \
            prints a completion script.
            """,
        version: VNetSimVersion.string,
        subcommands: [Run.self, Sweep.self, Compare.self, Plan.self, Merge.self, Validate.self, Schema.self, Bench.self],
        defaultSubcommand: nil
    )
}

enum VNetSimVersion {
    static let string = "0.1.0"
}
