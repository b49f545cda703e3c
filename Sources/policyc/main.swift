import PolicyLang

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

let status = Driver.run(arguments: Array(CommandLine.arguments.dropFirst()))
exit(status)
