using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityTwin.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DropDuplicateAssetIdIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assets_Id",
                table: "Assets");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Assets_Id",
                table: "Assets",
                column: "Id",
                unique: true);
        }
    }
}
