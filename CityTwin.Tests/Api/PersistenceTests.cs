using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Api;

/// <summary>Restarting keeps every record; deleting the database file re-creates and re-seeds it.</summary>
public sealed class PersistenceTests
{
    private sealed class AppOnFile(string path) : CityTwinAppFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:CityTwin", $"Data Source={path}");
        }

        protected override int ObservationDays => 1;
    }

    private static async Task<(int Assets, bool HasUser)> SnapshotAsync(AppOnFile app, string email)
    {
        _ = app.Server;
        var factory = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return (await db.Assets.CountAsync(), await db.Users.AnyAsync(u => u.Email == email));
    }

    [Fact]
    public async Task Restart_KeepsData_AndDeletedFile_IsReseeded()
    {
        var path = TestDatabase.NewPath();
        const string email = "keeper@riverford.example";
        try
        {
            int seeded;
            await using (var first = new AppOnFile(path))
            {
                _ = first.Server;
                await first.CreateStaffAsync(email, "Curator");
                (seeded, _) = await SnapshotAsync(first, email);
                Assert.True(seeded > 9000);
            }

            await using (var second = new AppOnFile(path))
            {
                Assert.Equal((seeded, true), await SnapshotAsync(second, email));
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestDatabase.DeleteFiles(path);
            Assert.False(File.Exists(path));

            await using (var third = new AppOnFile(path))
            {
                Assert.Equal((seeded, false), await SnapshotAsync(third, email));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestDatabase.DeleteFiles(path);
        }
    }
}
