using CityTwin.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityTwin.Web.Data.Migrations
{
    /// <summary>The R*Tree (bounding boxes) and FTS5 (text) indexes over assets, with their triggers.</summary>
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqliteSearchIndexes.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqliteSearchIndexes.Drop);
        }
    }
}
