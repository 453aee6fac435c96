import Foundation

/// The machine's TCP sockets as the kernel lists them (`/proc/net/tcp`, `/proc/net/tcp6`): how tests see which
/// connections a server really holds, whatever it answered.
enum SocketTable {
    /// Established connections whose remote end is `port` on this machine: the connections some client holds
    /// open to the server listening there.
    static func establishedConnections(toPort port: Int) -> Int {
        ["/proc/net/tcp", "/proc/net/tcp6"].reduce(0) { count, path in
            let table = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            return count + table.split(separator: "\n").dropFirst().filter { line in
                let columns = line.split(separator: " ", omittingEmptySubsequences: true)
                // sl, local_address, rem_address, st: the state 01 is ESTABLISHED.
                guard columns.count > 3, columns[3] == "01",
                      let remotePort = columns[2].split(separator: ":").last.flatMap({ Int($0, radix: 16) })
                else { return false }
                return remotePort == port
            }.count
        }
    }
}
