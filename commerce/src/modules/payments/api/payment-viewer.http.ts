export { orderViewerOf as viewerOf } from '../../../shared/http/order-viewer.ts';
