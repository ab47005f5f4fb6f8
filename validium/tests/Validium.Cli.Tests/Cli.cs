using System.Text.Json;

namespace Validium.Cli.Tests;

internal static class Cli
{
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = await VldApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    public static string[] Lines(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static JsonElement Vectors(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", file)));
        return doc.RootElement.Clone();
    }
}
