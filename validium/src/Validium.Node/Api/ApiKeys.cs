using System.Collections.Concurrent;
using System.Security.Cryptography;
using Validium.Crypto;
using Validium.Node.Client;

namespace Validium.Node.Api;

/// <summary>
/// API keys issued against a signed, single-use challenge (API.md): the node hands out a random field element, the
/// trader signs Poseidon(domain, account, challenge) with the account's key, and gets a random 256-bit key that
/// names the account on reads, private streams and rate limits. Held in memory: a restart means signing in again.
/// </summary>
internal sealed class ApiKeys(TraderApiOptions options)
{
    private readonly ConcurrentDictionary<string, long> challenges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Account, long Expires, long Issued)> keys = new(StringComparer.Ordinal);
    private readonly Lock issueGate = new();
    private long issued;

    private long Now => options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Null when too many live challenges are outstanding.</summary>
    public ChallengeDto? NewChallenge()
    {
        long now = Now;
        if (challenges.Count >= options.MaxChallenges)
            foreach (var (c, expires) in challenges)
                if (expires <= now) challenges.TryRemove(c, out _);
        if (challenges.Count >= options.MaxChallenges) return null;
        var bytes = RandomNumberGenerator.GetBytes(31);
        var challenge = Fr.FromBytesReduced(bytes).ToString();
        long until = now + (long)options.ChallengeLifetime.TotalMilliseconds;
        challenges[challenge] = until;
        return new ChallengeDto(challenge, until);
    }

    /// <summary>Takes the challenge out whatever happens next, so each one is tried once.</summary>
    public bool TakeChallenge(string challenge) => challenges.TryRemove(challenge, out long expires) && expires > Now;

    public ApiKeyDto Issue(int account)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        long now = Now;
        long expires = now + (long)options.KeyLifetime.TotalMilliseconds;
        lock (issueGate)
        {
            // Keys of traders who never come back are dropped here rather than kept until a lookup finds them expired.
            foreach (var (old, entry) in keys)
                if (entry.Expires <= now) keys.TryRemove(old, out _);
            var mine = keys.Where(k => k.Value.Account == account).OrderBy(k => k.Value.Issued).ToList();
            for (int i = 0; i <= mine.Count - options.MaxKeysPerAccount; i++) keys.TryRemove(mine[i].Key, out _);
            keys[key] = (account, expires, ++issued);
        }
        return new ApiKeyDto(key, account, expires);
    }

    /// <summary>The account a live key belongs to.</summary>
    public bool TryGetAccount(string? key, out int account)
    {
        account = -1;
        if (string.IsNullOrEmpty(key) || !keys.TryGetValue(key, out var entry)) return false;
        if (entry.Expires <= Now)
        {
            keys.TryRemove(key, out _);
            return false;
        }
        account = entry.Account;
        return true;
    }
}
