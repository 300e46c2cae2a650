import ArgumentParser

@main
struct VNetSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vnetsim",
        abstract: "A discrete-event network performance simulator of virtualized hosts (Hyper-V, Virtual Server).",
        version: VNetSimVersion.string,
        subcommands: [Bench.self]
    )
}

enum VNetSimVersion {
    static let string = "0.1.0"
}
