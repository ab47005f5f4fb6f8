using BenchmarkDotNet.Running;
using Validium.Bench;

if (args.Length > 0 && args[0] == "journal") return await JournalThroughput.Run(args[1..]);
if (args.Length > 0 && args[0] == "exchange-journal") return await ExchangeJournalThroughput.Run(args[1..]);
if (args.Length > 0 && args[0] == "dac") return await DacBench.Run(args[1..]);
if (args.Length > 0 && args[0] == "jitter") return Jitter.Run(args[1..]);
if (args.Length > 0 && args[0] == "batch") return BatchProving.Run(args[1..]);
if (args.Length > 0 && args[0] == "pipeline") return await PipelineBench.Run(args[1..]);
if (args.Length > 0 && args[0] == "node-exchange") return await NodeExchangeBench.Run(args[1..]);
if (args.Length > 0 && args[0] == "trader-api") return await TraderApiBench.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
