// Leaflet map for CityTwin. Leaflet 1.9.4 (from npm, copied to /lib) is loaded on first use only.
import { loadScript, loadStyle } from '/js/lazy.js';

function ensureLeaflet() {
  loadStyle('/lib/leaflet/leaflet.css');
  return loadScript('/lib/leaflet/leaflet.js', () => !!window.L);
}

export async function create(element, options, dotnet) {
  await ensureLeaflet();
  const map = L.map(element, { zoomControl: true, attributionControl: true, keyboard: true });
  if (options.tileUrl) {
    L.tileLayer(options.tileUrl, { maxZoom: 19, attribution: options.attribution }).addTo(map);
  }
  map.setView([50.9, 4.47], 13); // a view before any vector layer (Leaflet _clipPoints pitfall)
  const state = { map, layer: null, editable: !!options.editable };
  if (state.editable) {
    map.on('click', (e) => dotnet.invokeMethodAsync('OnMapClicked', e.latlng.lng, e.latlng.lat));
  }
  return state;
}

export function show(state, geojson) {
  if (state.layer) {
    state.map.removeLayer(state.layer);
    state.layer = null;
  }
  if (!geojson) return;
  const data = JSON.parse(geojson);
  state.layer = L.geoJSON(data, {
    pointToLayer: (_, latlng) => L.circleMarker(latlng, { radius: 8, color: '#16425f', weight: 2, fillColor: '#f0a202', fillOpacity: 0.9 }),
    style: () => ({ color: '#16425f', weight: 2, fillOpacity: 0.25 }),
  }).addTo(state.map);
  const bounds = state.layer.getBounds();
  if (bounds.isValid()) {
    const single = bounds.getNorthEast().equals(bounds.getSouthWest());
    // No zoom animation: from the first view a jump of up to 4 levels to a nearby shape animates, and a shape added
    // just before the animation was left at its old-zoom position, far outside the frame (seen with a wide map).
    if (single) state.map.setView(bounds.getCenter(), 17, { animate: false });
    else state.map.fitBounds(bounds, { padding: [20, 20], maxZoom: 18, animate: false });
  }
}

export function dispose(state) {
  state.map.off();
  state.map.remove();
}
