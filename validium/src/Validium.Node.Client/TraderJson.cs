using System.Text.Json;
using System.Text.Json.Serialization;

namespace Validium.Node.Client;

/// <summary>The wire's JSON: camelCase names, enums by name, integers as JSON numbers.</summary>
public static class TraderJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the wire's settings to options the server owns (ASP.NET Core's JSON options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter());
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }
}
