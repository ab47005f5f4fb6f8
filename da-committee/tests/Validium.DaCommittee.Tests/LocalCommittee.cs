using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Validium.Crypto;
using Validium.DaCommittee.Client;

namespace Validium.DaCommittee.Tests;

/// <summary>
/// n members in this process on loopback ports the OS picks, each with its own key, temp data directory and a fixed
/// (static) committee of all of them; a sequencer key; and a client for them. Members can be stopped and restarted.
/// </summary>
internal sealed class LocalCommittee : IAsyncDisposable
{
    public static readonly DacDomain DefaultDomain = new(31337, EthereumAddress.Parse("0x00000000000000000000000000000000000000aa"));

    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("dac-");

    private LocalCommittee(DacDomain domain, Secp256k1PrivateKey[] keys, int threshold)
    {
        Domain = domain;
        Keys = keys;
        Threshold = threshold;
        Members = new MemberNode?[keys.Length];
        Urls = new Uri[keys.Length];
        Committee = new CommitteeSnapshot(keys.Select(k => k.Address).ToArray(), threshold);
    }

    public DacDomain Domain { get; }
    public Secp256k1PrivateKey Sequencer { get; } = Secp256k1PrivateKey.Generate();
    public Secp256k1PrivateKey[] Keys { get; }
    public int Threshold { get; }
    public CommitteeSnapshot Committee { get; }
    public MemberNode?[] Members { get; }
    public Uri[] Urls { get; }
    public string Root => root.FullName;

    /// <summary>Per-member overrides, applied to the options before each (re)start.</summary>
    public Action<int, MemberOptions>? Tweak { get; set; }

    public static Task<LocalCommittee> StartAsync(int n, int threshold, DacDomain? domain = null, Action<int, MemberOptions>? tweak = null) =>
        StartAsync(Enumerable.Range(0, n).Select(_ => Secp256k1PrivateKey.Generate()).ToArray(), threshold, domain, tweak);

    public static async Task<LocalCommittee> StartAsync(Secp256k1PrivateKey[] keys, int threshold, DacDomain? domain = null, Action<int, MemberOptions>? tweak = null)
    {
        var c = new LocalCommittee(domain ?? DefaultDomain, keys, threshold) { Tweak = tweak };
        for (int i = 0; i < keys.Length; i++) await c.StartMemberAsync(i);
        return c;
    }

    public MemberOptions Options(int i, int port = 0)
    {
        var o = new MemberOptions
        {
            Listen = $"http://127.0.0.1:{port}",
            Keystore = "unused: the tests pass keys directly",
            DataDir = Path.Combine(root.FullName, $"member-{i}"),
            ChainId = Domain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Contract = Domain.Contract.ToString(),
            Sequencer = Sequencer.Address.ToString(),
            Committee = new MemberOptions.StaticCommitteeOptions { Members = Keys.Select(k => k.Address.ToString()).ToArray(), Threshold = Threshold },
        };
        Tweak?.Invoke(i, o);
        return o;
    }

    /// <summary>Starts member i on its previous port when it had one (so the client's URL stays valid), else on a free one.</summary>
    public async Task<MemberNode> StartMemberAsync(int i, int? port = null)
    {
        if (Members[i] is not null) throw new InvalidOperationException($"member {i} is running");
        int p = port ?? (Urls[i] is { } u ? u.Port : 0);
        var node = await MemberNode.StartAsync(Options(i, p).Validate(), Keys[i], logging: _ => { });
        Members[i] = node;
        Urls[i] = node.Url;
        return node;
    }

    public async Task StopMemberAsync(int i)
    {
        if (Members[i] is { } m)
        {
            Members[i] = null;
            await m.DisposeAsync();
        }
    }

    public DacClient Client(TimeSpan? timeout = null, ICommitteeSource? committee = null, IReadOnlyList<Uri>? urls = null, DacAvailability? availability = null) =>
        new(Domain, Sequencer, committee ?? new StaticCommittee(Committee), new DacClientOptions
        {
            Members = urls ?? Urls,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            InitialBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
        }, availability);

    /// <summary>A loopback port that was free a moment ago (for a member that starts later at a URL the client already has).</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < Members.Length; i++) await StopMemberAsync(i);
        root.Delete(true);
    }

    /// <summary>Batch-like data: n field words (32-byte big-endian, below r).</summary>
    public static byte[] BatchData(int words, int seed)
    {
        var rng = new Random(seed);
        return PoseidonSponge.ToBytes(Enumerable.Range(0, words).Select(_ => Fr.Random(rng)).ToArray());
    }

    public static BigInteger AddressValue(EthereumAddress a) => new(a.ToBytes(), isUnsigned: true, isBigEndian: true);
}
