#!/usr/bin/env python3
"""The helpers of scripts/link-order.sh: which functions of a build a run executed.

  link_order.py covered BINARY DIRECTORY       the functions of BINARY (an instrumented build) whose coverage guards
                                               fired, from the .sancov files in DIRECTORY (AddressSanitizer's
                                               coverage=1 writes them at exit), one name per line
  link_order.py faulted DATA BINARY            the functions and read-only data of BINARY holding the addresses of the
                                               page faults in DATA (perf record -e page-faults -d), by first fault
  link_order.py merge ORDER BINARY NAMES...    ORDER keeps its names that BINARY defines, then gains those of the
                                               NAMES files that BINARY defines and it lacks, in their order; prints
                                               how many it gained
"""
import bisect
import glob
import struct
import subprocess
import sys


def functions(binary, kinds="tTwW"):
    """(addresses, names) of the symbols of binary of those nm kinds (functions by default), by address."""
    addresses, names = [], []
    nm = subprocess.run(["nm", "--defined-only", "-n", binary], capture_output=True, text=True, check=True).stdout
    for line in nm.splitlines():
        fields = line.split(" ", 2)
        if len(fields) == 3 and fields[0] and fields[1] in kinds:
            addresses.append(int(fields[0], 16))
            names.append(fields[2])
    return addresses, names


def holder(addresses, names, address):
    index = bisect.bisect_right(addresses, address) - 1
    return names[index] if index >= 0 else None


def covered(binary, directory):
    addresses, names = functions(binary)
    seen = {}
    for path in sorted(glob.glob(directory + "/*.sancov")):
        data = open(path, "rb").read()
        if struct.unpack_from("<Q", data)[0] != 0xC0BFFFFFFFFFFF64:  # the 64-bit magic
            sys.exit(f"{path}: not a 64-bit .sancov file")
        # Offsets in the module of the guards' call sites, each inside the function it counts.
        for pc in struct.unpack_from(f"<{len(data) // 8 - 1}Q", data, 8):
            seen.setdefault(holder(addresses, names, pc))
    return [name for name in seen if name]


def faulted(data, binary):
    # Read-only data faults too: the link order places data sections as well.
    addresses, names = functions(binary, "tTwWrR")
    script = subprocess.run(["perf", "script", "-i", data, "-F", "addr,dso", "--show-mmap-events"],
                            capture_output=True, text=True, check=True).stdout
    base, seen = None, {}
    for line in script.splitlines():
        if "PERF_RECORD_MMAP" in line:
            # The binary's first mapping (file offset 0) gives the load address.
            if base is None and line.rstrip().endswith(" " + binary) and " @ 0 " in line:
                base = int(line.split("[")[1].split("(")[0], 16)
            continue
        fields = line.split()
        if base is not None and len(fields) == 2 and fields[1] == f"({binary})":
            seen.setdefault(holder(addresses, names, int(fields[0], 16) - base))
    return [name for name in seen if name]


def merge(order, binary, sources):
    defined = set(functions(binary, "tTwWrR")[1])
    listed = [name for name in open(order).read().splitlines() if name in defined]
    known, added = set(listed), []
    for source in sources:
        for name in open(source).read().splitlines():
            if name and name not in known and name in defined:
                known.add(name)
                added.append(name)
    with open(order, "w") as file:
        file.write("".join(name + "\n" for name in listed + added))
    print(len(added))


command, arguments = sys.argv[1], sys.argv[2:]
if command == "covered":
    print("\n".join(covered(*arguments)))
elif command == "faulted":
    print("\n".join(faulted(*arguments)))
elif command == "merge":
    merge(arguments[0], arguments[1], arguments[2:])
else:
    sys.exit(__doc__)
