using CityTwin.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityTwin.Web.Data.Migrations
{
    /// <summary>A partial index over the few entities with several types, so a type query never scans attribute documents.</summary>
    [DbContext(typeof(CityTwinDbContext))]
    [Migration("20261128033000_MultiTypedEntities")]
    public partial class MultiTypedEntities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqliteSearchIndexes.CreateMultiTypedIndex);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS IX_Assets_MultiTyped;");
        }
    }
}
