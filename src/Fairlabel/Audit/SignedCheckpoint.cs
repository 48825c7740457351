using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Fairlabel.Audit;

/// A checkpoint in the C2SP tlog-checkpoint format: origin line, tree size in decimal, the root in
/// base64, each ending in a newline.
public sealed record Checkpoint(string Origin, long Size, byte[] Root)
{
    public string Body => $"{Origin}\n{Size}\n{Convert.ToBase64String(Root)}\n";

    /// The first three lines of a note's text, or null when they are not a checkpoint.
    public static Checkpoint? Parse(string body)
    {
        var lines = body.Split('\n');
        if (lines.Length < 4 || lines[0].Length == 0 || !long.TryParse(lines[1], System.Globalization.NumberStyles.None, null, out var size)) return null;
        try
        {
            var root = Convert.FromBase64String(lines[2]);
            return root.Length == 32 ? new Checkpoint(lines[0], size, root) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// An Ed25519 key that signs notes as C2SP signed-note says: the note text, a blank line, and a
/// line `— <name> base64(key ID ‖ signature)`, the key ID being the first four bytes of
/// SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). The key is written as Go's note package writes
/// signer keys, `PRIVATE+KEY+<name>+<key ID hex>+base64(0x01 ‖ seed)`.
public sealed class NoteKey
{
    static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    readonly Key? _private;

    NoteKey(string name, byte[] publicKey, Key? privateKey)
    {
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c == '+')) throw new FormatException("A key name is non-empty, without spaces or '+'.");
        Name = name;
        PublicKey = publicKey;
        _private = privateKey;
        Id = KeyId(name, publicKey);
    }

    public string Name { get; }
    public byte[] PublicKey { get; }
    public uint Id { get; }

    /// The verifier key, `<name>+<key ID hex>+base64(0x01 ‖ public key)`, to give those who check checkpoints.
    public string VerifierKey => $"{Name}+{Id:x8}+{Convert.ToBase64String([0x01, .. PublicKey])}";

    public static uint KeyId(string name, byte[] publicKey) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, 0x01, .. publicKey]));

    public static NoteKey Create(string name)
    {
        var key = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new NoteKey(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey), key);
    }

    public string PrivateKeyText()
    {
        var seed = _private!.Export(KeyBlobFormat.RawPrivateKey);
        return $"PRIVATE+KEY+{Name}+{Id:x8}+{Convert.ToBase64String([0x01, .. seed])}";
    }

    public static NoteKey ParsePrivate(string text)
    {
        // The key in base64 may hold '+' itself: only the first four split.
        var parts = text.Trim().Split('+', 5);
        if (parts.Length != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY") throw new FormatException("Not a signer key (PRIVATE+KEY+name+id+key).");
        var raw = Convert.FromBase64String(parts[4]);
        if (raw.Length != 33 || raw[0] != 0x01) throw new FormatException("Not an Ed25519 signer key.");
        var key = Key.Import(Ed25519, raw.AsSpan(1), KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var parsed = new NoteKey(parts[2], key.PublicKey.Export(KeyBlobFormat.RawPublicKey), key);
        if (!parts[3].Equals(parsed.Id.ToString("x8"), StringComparison.OrdinalIgnoreCase)) throw new FormatException("The signer key's id does not match its key.");
        return parsed;
    }

    public static NoteKey ParseVerifier(string text)
    {
        var parts = text.Trim().Split('+', 3);
        if (parts.Length != 3) throw new FormatException("Not a verifier key (name+id+key).");
        var raw = Convert.FromBase64String(parts[2]);
        if (raw.Length != 33 || raw[0] != 0x01) throw new FormatException("Not an Ed25519 verifier key.");
        var parsed = new NoteKey(parts[0], raw[1..], null);
        if (!parts[1].Equals(parsed.Id.ToString("x8"), StringComparison.OrdinalIgnoreCase)) throw new FormatException("The verifier key's id does not match its key.");
        return parsed;
    }

    /// Reads the signer key at <paramref name="path"/>, or creates it there, readable by its owner only.
    public static NoteKey LoadOrCreate(string path, string name)
    {
        if (File.Exists(path)) return ParsePrivate(File.ReadAllText(path));
        var key = Create(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new StreamWriter(path, Encoding.ASCII, options)) file.Write(key.PrivateKeyText() + "\n");
        File.WriteAllText(Path.ChangeExtension(path, ".pub"), key.VerifierKey + "\n");
        return key;
    }

    public string Sign(string text)
    {
        if (!text.EndsWith('\n')) throw new ArgumentException("A note's text ends in a newline.", nameof(text));
        var signature = Ed25519.Sign(_private!, Encoding.UTF8.GetBytes(text));
        var blob = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, Id);
        signature.CopyTo(blob, 4);
        return $"{text}\n\u2014 {Name} {Convert.ToBase64String(blob)}\n";
    }

    /// The note's text when a signature line of this key (same name and id) verifies; null otherwise.
    public string? Open(string note)
    {
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n')) return null;
        var text = note[..(split + 1)];
        var verified = false;
        foreach (var line in note[(split + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var prefix = $"\u2014 {Name} ";
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            byte[] blob;
            try { blob = Convert.FromBase64String(line[prefix.Length..]); }
            catch (FormatException) { return null; }
            if (blob.Length != 68 || BinaryPrimitives.ReadUInt32BigEndian(blob) != Id) continue;
            var key = NSec.Cryptography.PublicKey.Import(Ed25519, PublicKey, KeyBlobFormat.RawPublicKey);
            // A signature of this key that fails makes the whole note refused.
            if (!Ed25519.Verify(key, Encoding.UTF8.GetBytes(text), blob.AsSpan(4))) return null;
            verified = true;
        }
        return verified ? text : null;
    }
}
