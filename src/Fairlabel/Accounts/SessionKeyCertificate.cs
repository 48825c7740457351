using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Fairlabel.Accounts;

/// The keys that sign session cookies and antiforgery tokens live in the database, so that every
/// node reads the cookies of every other. Whoever can read that table can forge a session for any
/// user; a production deployment encrypts the keys with a certificate every node holds:
/// `DataProtection:CertificateFile` (PKCS#12, with its private key) and
/// `DataProtection:CertificatePassword`. Without it the keys are stored as they are, which suits
/// SQLite (the keys sit in the same file as everything they protect) and is warned about on PostgreSQL.
public static class SessionKeyCertificate
{
    public const string FileSetting = "DataProtection:CertificateFile";
    public const string PasswordSetting = "DataProtection:CertificatePassword";

    /// Encrypts new keys with the configured certificate, and reads keys encrypted with it.
    /// Returns what is wrong with the setting, to stop the start with, or null.
    public static string? Apply(IDataProtectionBuilder keys, IConfiguration configuration)
    {
        var path = configuration[FileSetting];
        if (string.IsNullOrWhiteSpace(path)) return null;
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[PasswordSetting]);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return $"{FileSetting} ({path}) cannot be read: {e.Message}";
        }
        if (!certificate.HasPrivateKey)
            return $"{FileSetting} ({path}) holds no private key, which every node needs to read the keys back.";
        keys.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        return null;
    }

    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[FileSetting]);
}

/// A setting found wrong while the services were being put together, reported before serving.
public sealed record ConfigurationProblem(string Message);
