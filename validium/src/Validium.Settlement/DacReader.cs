using System.Net;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1;

namespace Validium.Settlement;

/// <summary>No member served a batch's data with the committed commitment; <see cref="Failures"/> says what each one did.</summary>
public sealed class BatchDataUnavailableException(ulong batch, Fr commitment, IReadOnlyDictionary<Uri, string> failures)
    : Exception($"batch {batch} (data commitment {Hex.Encode(commitment.ToBigEndianBytes())}): no member serves its data: " +
                string.Join("; ", failures.Select(f => $"{f.Key}: {f.Value}")))
{
    public ulong Batch { get; } = batch;
    public IReadOnlyDictionary<Uri, string> Failures { get; } = failures;
}

/// <summary>
/// Reads batch data from committee members by data commitment, trusting none of them: the bytes are hashed here
/// (the circuit's sponge) and used only if they give the commitment L1 holds; otherwise the next member is asked.
/// </summary>
public sealed class DacReader : IDisposable
{
    private readonly IReadOnlyList<Uri> members;
    private readonly HttpClient http;

    public DacReader(IReadOnlyList<Uri> members, TimeSpan? timeout = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("at least one member URL is needed");
        foreach (var m in members)
            if (!m.IsAbsoluteUri || m.Scheme is not ("http" or "https")) throw new ArgumentException($"member URL '{m}' is not an absolute http(s) URL");
        this.members = members;
        http = new HttpClient(handler ?? new SocketsHttpHandler()) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    /// <summary>Members that answered with bad data, per batch: what the caller may report or alert on.</summary>
    public List<string> Warnings { get; } = [];

    public async Task<byte[]> FetchAsync(ulong batch, Fr commitment, CancellationToken ct = default)
    {
        var failures = new Dictionary<Uri, string>();
        var path = DacRoutes.ByCommitment.Replace("{commitment}", Hex.Encode(commitment.ToBigEndianBytes()), StringComparison.Ordinal);
        foreach (var member in members)
        {
            string failure;
            try
            {
                using var response = await http.GetAsync(new Uri(member, path), ct);
                if (response.StatusCode == HttpStatusCode.NotFound) failure = "does not have it";
                else if (!response.IsSuccessStatusCode) failure = $"HTTP {(int)response.StatusCode}";
                else
                {
                    var data = await response.Content.ReadAsByteArrayAsync(ct);
                    failure = Check(data, commitment);
                    if (failure.Length == 0) return data;
                    Warnings.Add($"batch {batch}: {member} {failure}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException || e is TaskCanceledException && !ct.IsCancellationRequested)
            {
                failure = $"unreachable: {e.Message}";
            }
            failures[member] = failure;
        }
        throw new BatchDataUnavailableException(batch, commitment, failures);
    }

    /// <summary>"" when <paramref name="data"/> gives <paramref name="commitment"/>, else what is wrong with it.</summary>
    private static string Check(byte[] data, Fr commitment)
    {
        Fr got;
        try
        {
            got = PoseidonSponge.CommitBytes(data);
        }
        catch (ArgumentException e)
        {
            return $"served {data.Length} bytes that are not field words ({e.Message})";
        }
        return got == commitment ? "" : $"served data whose commitment is {Hex.Encode(got.ToBigEndianBytes())}, not the committed one";
    }

    public void Dispose() => http.Dispose();
}
