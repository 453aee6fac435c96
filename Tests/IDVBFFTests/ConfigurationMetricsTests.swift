import Testing

@testable import IDVBFF

extension ConfigurationTests {
    @Test("metrics are on by default, on the main listener; metrics.port and metrics.enabled change that")
    func metricsSettings() async throws {
        #expect(try await Self.load().metrics == MetricsSettings(enabled: true, port: nil))
        let moved = try await Self.load(environment: Self.requiredEnvironment.merging(["METRICS_PORT": "9090"]) { $1 })
        #expect(moved.metrics == MetricsSettings(enabled: true, port: 9090))
        let off = try await Self.load(environment: Self.requiredEnvironment.merging(["METRICS_ENABLED": "false"]) { $1 })
        #expect(off.metrics.enabled == false)
    }

    @Test("bad metrics settings are problems naming the setting",
          arguments: [("METRICS_PORT", "8080", "is the same as http.port"), ("METRICS_PORT", "70000", "is not a port number"),
                      ("METRICS_ENABLED", "maybe", "is not true or false")])
    func badMetricsSettings(variable: String, value: String, problem: String) async throws {
        let problems = await Self.problems(environment: Self.requiredEnvironment.merging([variable: value]) { $1 })
        #expect(problems.count == 1)
        #expect(problems.first?.environmentVariable == variable)
        #expect(problems.first?.message.contains(problem) == true)
    }
}
