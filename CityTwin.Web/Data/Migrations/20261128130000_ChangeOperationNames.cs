using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityTwin.Web.Data.Migrations
{
    /// <summary>
    /// Imports and API writes recorded their kind of change in lower case ("import", "api") while the change log offers
    /// and filters by "Import" and "Api": one spelling for every history entry (<see cref="ChangeOperations"/>).
    /// </summary>
    [DbContext(typeof(CityTwinDbContext))]
    [Migration("20261128130000_ChangeOperationNames")]
    public partial class ChangeOperationNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE AssetChanges SET Operation = 'Import' WHERE Operation = 'import';");
            migrationBuilder.Sql("UPDATE AssetChanges SET Operation = 'Api' WHERE Operation = 'api';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
