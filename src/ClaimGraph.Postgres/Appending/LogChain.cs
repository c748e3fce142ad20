using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ClaimGraph.Postgres.Appending;

/// <summary>
/// The log's identity: a SHA-256 hash chain over every event row and its decisions. The digest at version v is
/// <c>SHA-256(digest(v − 1) ‖ int32 format ‖ int32 n ‖ UTF-8 event id ‖ int32 n ‖ UTF-8 event JSON ‖ int32 n ‖ UTF-8
/// decisions JSON)</c> (integers big-endian, n the byte length of what follows), starting from 32 zero bytes at
/// version 0. Two histories that differ in any event or decision at or before v have different digests at v, even
/// when they reuse event ids (a shared tick, a resend after a lost commit) at the same versions.
/// </summary>
/// <remarks>Migration 2 computes the same function in SQL (<c>sha256</c>, <c>int4send</c>) to fill in rows logged before it.</remarks>
internal static class LogChain
{
    /// <summary>The digest length in bytes.</summary>
    public const int Length = 32;

    /// <summary>The digest of the empty stream (version 0), in hex.</summary>
    public static readonly string Genesis = new('0', 2 * Length);

    /// <summary>The digest after appending one row to the stream whose digest is <paramref name="previous"/> (hex).</summary>
    public static string Next(string previous, int format, string eventId, string eventJson, string decisionsJson)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> head = stackalloc byte[Length + 4];
        Convert.FromHexString(previous).CopyTo(head);
        BinaryPrimitives.WriteInt32BigEndian(head[Length..], format);
        hash.AppendData(head);
        Append(hash, eventId);
        Append(hash, eventJson);
        Append(hash, decisionsJson);
        Span<byte> digest = stackalloc byte[Length];
        hash.GetHashAndReset(digest);
        return ToHex(digest);
    }

    /// <summary>Lower-case hex of a digest.</summary>
    public static string ToHex(ReadOnlySpan<byte> digest) => Convert.ToHexString(digest).ToLowerInvariant();

    /// <summary>The bytes of a hex digest, for a <c>bytea</c> parameter.</summary>
    public static byte[] ToBytes(string hex) => Convert.FromHexString(hex);

    private static void Append(IncrementalHash hash, string text)
    {
        // Strings reaching here are valid UTF-16 (EventText refuses others), so the UTF-8 bytes are the server's bytes.
        int count = Encoding.UTF8.GetByteCount(text);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(count + 4);
        try
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer, count);
            Encoding.UTF8.GetBytes(text, 0, text.Length, buffer, 4);
            hash.AppendData(buffer, 0, count + 4);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
