using System.Diagnostics;
using System.Globalization;
using Validium.Crypto;
using Validium.DaCommittee;
using Validium.DaCommittee.Client;
using ZstdSharp;

namespace Validium.Bench;

/// <summary>
/// The committee on loopback: attestation latency (p50/p99) through the client with 3 in-process members (2-of-3),
/// one member's ingest rate (commitment + zstd + synced RocksDB write + signature, over HTTP) and where it goes,
/// and the zstd ratio on batch-like words. Console rather than BenchmarkDotNet: latency distributions over real
/// HTTP servers. Every measured attestation is checked (signers recovered) before it counts.
/// Usage: dac [--sizes 65536,1048576,8388608] [--runs 200,40,8] [--only ratio|latency|ingest]
/// </summary>
internal static class DacBench
{
    public static async Task<int> Run(string[] args)
    {
        var sizes = List(args, "--sizes", "65536,1048576,8388608");
        var runs = List(args, "--runs", "200,40,8");
        if (sizes.Length != runs.Length) throw new ArgumentException("--sizes and --runs need the same number of entries");
        var root = Directory.CreateTempSubdirectory("vld-dac-bench-");
        try
        {
            var only = Array.IndexOf(args, "--only") is int o and >= 0 && o + 1 < args.Length ? args[o + 1] : null;
            if (only is null or "ratio") Ratio();
            if (only is null or "latency") await Latency(root.FullName, sizes, runs);
            if (only is null or "ingest") await Ingest(root.FullName);
            return 0;
        }
        finally
        {
            root.Delete(true);
        }
    }

    /// <summary>
    /// Stand-in batch data until the batch circuit fixes its operation encoding: per trade a packed header word
    /// (kind, two account indices, instrument), price, signed size (negative sizes are r − |n|, as STATE.md's signed()),
    /// fee; per 50 trades a deposit with a BabyJubjub key (two uniformly random words) and a funding update.
    /// </summary>
    internal static byte[] BatchLike(int bytes, int seed)
    {
        var rng = new Random(seed);
        var words = new List<Fr>(bytes / 32);
        int n = 0;
        while (words.Count < bytes / 32)
        {
            ulong a = (ulong)rng.Next(0, 100_000), b = (ulong)rng.Next(0, 100_000), instrument = (ulong)rng.Next(0, 16);
            words.Add(Fr.FromBigInteger(1 + ((System.Numerics.BigInteger)a << 8) + ((System.Numerics.BigInteger)b << 72) + ((System.Numerics.BigInteger)instrument << 136)));
            words.Add(Fr.FromUInt64(30_000_000_000UL + (ulong)rng.Next(-5_000_000, 5_000_000)));
            long size = rng.Next(1, 2_000_000) * (rng.Next(2) == 0 ? 1 : -1);
            words.Add(size >= 0 ? Fr.FromUInt64((ulong)size) : Fr.Zero - Fr.FromUInt64((ulong)-size));
            words.Add(Fr.FromUInt64((ulong)rng.Next(0, 50_000)));
            if (++n % 50 == 0)
            {
                words.Add(Fr.FromBigInteger(2 + ((System.Numerics.BigInteger)(ulong)rng.NextInt64() << 72)));
                words.Add(Fr.Random(rng));
                words.Add(Fr.Random(rng));
                words.Add(Fr.FromUInt64((ulong)rng.Next(1, 1_000_000_000)));
                words.Add(Fr.FromUInt64(3 + ((ulong)instrument << 8)));
                words.Add(Fr.FromUInt64((ulong)rng.Next(-1_000_000, 1_000_000) & 0x7fffffff));
            }
        }
        return PoseidonSponge.ToBytes(words.Take(bytes / 32).ToArray());
    }

    private static void Ratio()
    {
        var data = BatchLike(8 << 20, 1);
        Console.WriteLine("zstd on 8 MiB of batch-like words:");
        foreach (var level in new[] { 1, 3, 9 })
        {
            using var c = new Compressor(level);
            using var d = new Decompressor();
            // Twice, timing the second: the first pays for JIT-compiling the (managed) zstd port.
            byte[] frame = [], back = [];
            var compress = TimeSpan.Zero;
            var decompress = TimeSpan.Zero;
            for (int pass = 0; pass < 2; pass++)
            {
                var sw = Stopwatch.StartNew();
                frame = c.Wrap(data).ToArray();
                compress = sw.Elapsed;
                sw.Restart();
                back = d.Unwrap(frame).ToArray();
                decompress = sw.Elapsed;
            }
            if (!back.AsSpan().SequenceEqual(data)) throw new InvalidOperationException("zstd round trip failed");
            Console.WriteLine($"  level {level}: ratio {(double)data.Length / frame.Length:F2}  compress {data.Length / compress.TotalSeconds / 1e6:F0} MB/s  decompress {data.Length / decompress.TotalSeconds / 1e6:F0} MB/s");
        }
        PoseidonSponge.CommitBytes(data.AsSpan(0, 64 << 10));
        var sw2 = Stopwatch.StartNew();
        PoseidonSponge.CommitBytes(data.AsSpan(0, 1 << 20));
        Console.WriteLine($"  commitment (Poseidon sponge) alone: {(1 << 20) / sw2.Elapsed.TotalSeconds / 1e6:F2} MB/s");
    }

    private static async Task Latency(string root, int[] sizes, int[] runs)
    {
        await using var committee = await Committee.StartAsync(Path.Combine(root, "latency"), 3, 2);
        using var client = committee.Client();
        ulong batch = 0;
        for (int s = 0; s < sizes.Length; s++)
        {
            var data = BatchLike(sizes[s], s + 10);
            for (int w = 0; w < 2; w++) Check(await client.AttestAsync(++batch, data), committee); // warm-up: JIT, connections
            var ms = new double[runs[s]];
            for (int i = 0; i < ms.Length; i++)
            {
                var sw = Stopwatch.StartNew();
                var bundle = await client.AttestAsync(++batch, data);
                ms[i] = sw.Elapsed.TotalMilliseconds;
                Check(bundle, committee);
            }
            Array.Sort(ms);
            Console.WriteLine($"attestation 2-of-3, {sizes[s] / 1024.0:N0} KiB, {ms.Length} runs: p50 {Pct(ms, 0.5):F1} ms  p99 {Pct(ms, 0.99):F1} ms  max {ms[^1]:F1} ms");
        }
    }

    /// <summary>
    /// One member's ingest over HTTP, signed submissions posted straight (no client-side commitment in the loop), one
    /// at a time and then two at a time; each answer's signature is checked.
    /// </summary>
    private static async Task Ingest(string root)
    {
        await using var committee = await Committee.StartAsync(Path.Combine(root, "ingest"), 1, 1);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var data = BatchLike(1 << 20, 99);
        ulong next = 0;
        await committee.PostAsync(http, next++, data);
        foreach (int parallel in new[] { 1, 2 })
        {
            const int perWorker = 8;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
            {
                for (int i = 0; i < perWorker; i++) await committee.PostAsync(http, Interlocked.Increment(ref next), data);
            })));
            double mb = parallel * perWorker * (double)data.Length / 1e6;
            Console.WriteLine($"member ingest, 1 MiB batches, {parallel} submitter(s) x {perWorker}: {mb / sw.Elapsed.TotalSeconds:F2} MB/s (commitment + zstd + synced write + signature, over HTTP)");
        }
    }

    private static void Check(AttestationBundle bundle, Committee c)
    {
        foreach (var s in bundle.Signatures)
            if (!c.Addresses.Contains(EthereumEcdsa.Recover(Eip191.HashPersonalMessage(bundle.Digest), s.Signature)))
                throw new InvalidOperationException("an attestation signature does not recover to a member");
    }

    private static double Pct(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static int[] List(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        var text = i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        return text.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
    }

    private sealed class Committee : IAsyncDisposable
    {
        private readonly List<MemberNode> members = [];
        private readonly Secp256k1PrivateKey sequencer = Secp256k1PrivateKey.Generate();
        private readonly DacDomain domain = new(31337, EthereumAddress.Parse("0x00000000000000000000000000000000000000aa"));

        public HashSet<EthereumAddress> Addresses { get; } = [];
        private int threshold;

        public static async Task<Committee> StartAsync(string dir, int n, int k)
        {
            var c = new Committee { threshold = k };
            var keys = Enumerable.Range(0, n).Select(_ => Secp256k1PrivateKey.Generate()).ToArray();
            foreach (var key in keys) c.Addresses.Add(key.Address);
            for (int i = 0; i < n; i++)
            {
                var o = new MemberOptions
                {
                    Listen = "http://127.0.0.1:0",
                    Keystore = "unused",
                    DataDir = Path.Combine(dir, $"m{i}"),
                    ChainId = "31337",
                    Contract = c.domain.Contract.ToString(),
                    Sequencer = c.sequencer.Address.ToString(),
                    Committee = new MemberOptions.StaticCommitteeOptions { Members = keys.Select(x => x.Address.ToString()).ToArray(), Threshold = k },
                };
                c.members.Add(await MemberNode.StartAsync(o.Validate(), keys[i], logging: _ => { }));
            }
            return c;
        }

        /// <summary>A signed submission posted directly to the first member; throws unless it answers with a member's signature.</summary>
        public async Task PostAsync(HttpClient http, ulong batch, byte[] data)
        {
            var (ts, nonce, sig) = SubmitAuth.Sign(sequencer, domain, batch, data, DateTimeOffset.UtcNow);
            using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(members[0].Url, DacRoutes.BatchPath(batch))) { Content = new ByteArrayContent(data) };
            req.Headers.Add(SubmitAuth.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
            req.Headers.Add(SubmitAuth.NonceHeader, nonce);
            req.Headers.Add(SubmitAuth.SignatureHeader, sig);
            using var res = await http.SendAsync(req);
            var body = await res.Content.ReadAsStringAsync();
            if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"member refused batch {batch}: {body}");
            var answer = System.Text.Json.JsonSerializer.Deserialize<SubmitResponse>(body)!;
            var signer = EthereumEcdsa.Recover(Eip191.HashPersonalMessage(Validium.L1.Hex.Decode(answer.Digest)), EcdsaSignature.FromBytes(Validium.L1.Hex.Decode(answer.Signature)));
            if (!Addresses.Contains(signer)) throw new InvalidOperationException("the member's signature does not recover to it");
        }

        public DacClient Client() => new(domain, sequencer, new StaticCommittee(new CommitteeSnapshot(Addresses.ToArray(), threshold)),
            new DacClientOptions { Members = members.Select(m => m.Url).ToArray(), Timeout = TimeSpan.FromMinutes(2) });

        public async ValueTask DisposeAsync()
        {
            foreach (var m in members) await m.DisposeAsync();
        }
    }
}
