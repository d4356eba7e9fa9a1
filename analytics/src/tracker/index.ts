export { loadTrackingScript, registerTrackerRoutes } from './tracker-routes.ts';
