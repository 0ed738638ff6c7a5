using System.Diagnostics;
using CityTwin.Web.Features.DemoCity;
using CityTwin.Web.Features.Security;
using CityTwin.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CityTwin.Web.Data;

/// <summary>
/// Brings the database to a usable state at start-up: applies migrations (WAL on), creates the roles, the bootstrap
/// administrator and API key on an empty store, and seeds the demo city into an empty registry. A database that cannot
/// be opened stops start-up with a <see cref="StartupException"/> naming the setting and the file.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<CityTwinDbContext> dbFactory,
    IServiceScopeFactory scopes,
    DatabaseLocation location,
    IOptions<SecurityOptions> security,
    IOptions<SeedOptions> seed,
    DemoCitySeeder seeder,
    ApiKeyService apiKeys,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await MigrateAsync(ct);
        await BootstrapAsync(ct);
        if (seed.Value.DemoCity)
        {
            await seeder.SeedIfEmptyAsync(ct);
        }
    }

    private async Task MigrateAsync(CancellationToken ct)
    {
        var file = location.DataSource;
        try
        {
            if (Path.GetDirectoryName(file) is { Length: > 0 } dir && !file.StartsWith(':'))
            {
                Directory.CreateDirectory(dir);
            }

            var stopwatch = Stopwatch.StartNew();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s) to {File}: {Migrations}", pending.Count, file, string.Join(", ", pending));
                await db.Database.MigrateAsync(ct);
            }

            logger.LogInformation("Database {File} ready in {Elapsed} ms", file, stopwatch.ElapsedMilliseconds);
        }
        catch (SqliteException ex)
        {
            throw new StartupException(
                $"The database '{file}' ({DatabaseOptions.ConnectionStringKey}) cannot be used: {ex.Message.TrimEnd('.')}. " +
                "Fix or delete the file (a new one is created and seeded), or point the setting elsewhere.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"The database folder for '{file}' ({DatabaseOptions.ConnectionStringKey}) cannot be created: {ex.Message}", ex);
        }
    }

    private async Task BootstrapAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<CityTwinUser>>();
        var password = security.Value.BootstrapAdminPassword;
        if (!await users.Users.AnyAsync(ct))
        {
            if (string.IsNullOrEmpty(password))
            {
                logger.LogWarning("No staff account exists and {Setting} is not set: nobody can sign in yet.",
                    SecurityOptions.Section + ":BootstrapAdminPassword");
            }
            else
            {
                var admin = new CityTwinUser
                {
                    UserName = SecurityOptions.BootstrapAdminEmail,
                    Email = SecurityOptions.BootstrapAdminEmail,
                    EmailConfirmed = true,
                    DisplayName = "Administrator",
                };
                var result = await users.CreateAsync(admin, password);
                if (!result.Succeeded)
                {
                    throw new StartupException($"{SecurityOptions.Section}:BootstrapAdminPassword is refused: " +
                        string.Join(" ", result.Errors.Select(e => e.Description)));
                }

                await users.AddToRoleAsync(admin, Roles.Administrator);
                logger.LogInformation("Created the bootstrap administrator {Email}", SecurityOptions.BootstrapAdminEmail);
            }
        }

        if (security.Value.BootstrapApiKey is { Length: > 0 } key && !await apiKeys.AnyAsync(ct))
        {
            await apiKeys.StoreAsync("Bootstrap key", ApiKeyScope.Write, key, "configuration", ct);
            logger.LogInformation("Created the bootstrap API key (write scope)");
        }
    }
}
