# Sourced by fuzz.sh and sanitize.sh: one debug build of the fuzzer and of the server, both instrumented with
# AddressSanitizer (with LeakSanitizer) and libFuzzer's coverage, Swift code and the C shim alike, so that the two
# checks compile the packages once between them. -sanitize=fuzzer would force libFuzzer's main into every executable,
# so its runtime is linked as an archive into the fuzzer alone; the server keeps its own main, and its coverage hooks
# resolve to the AddressSanitizer runtime's no-op defaults.
# instrumented_build PRODUCT: builds it and prints the path of its executable.
instrumented_build() {
  local toolchain runtime
  toolchain="$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")"
  runtime="$(ls "$toolchain"/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a | head -1)"
  local flags=(--scratch-path .build-asan --product "$1"
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table
    -Xcc -fsanitize=fuzzer-no-link,address -Xswiftc -DFUZZING
    -Xswiftc -use-ld=lld)
  [[ "$1" == IDVBFFFuzz ]] && flags+=(-Xlinker "$runtime" -Xlinker -lstdc++)
  swift build "${flags[@]}" 2>&1 | grep -v "Cannot export local symbol" | grep -E "error|warning: [^C]" >&2 || true
  echo "$(swift build "${flags[@]}" --show-bin-path)/$1"
}
