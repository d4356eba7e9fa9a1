import { METRICS, contributions } from './analytics/src/contracts/index.ts';
const ev:any = { tenantId:'t', messageId:'m', type:'track', event:'Bench Event', anonymousId:'a1', timestamp:new Date().toISOString(), receivedAt:new Date().toISOString(), properties:{plan:'bench',value:1}, context:{page:{path:'/bench'}}, isBot:false };
console.log(METRICS.length, METRICS.reduce((a,m)=>a+m.breakdowns.length,0), contributions(ev).contributions.length);
const N=100000; let s=performance.now(); for(let i=0;i<N;i++) contributions(ev); console.log(((performance.now()-s)*1000/N).toFixed(2),'us/event');
