using Validium.Cli;

return await VldApp.RunAsync(args, Console.Out, Console.Error);
