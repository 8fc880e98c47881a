import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FleetgateConfig } from '@fleetgate/core';
import type { HttpRequest, HttpResponse, NextFunction } from './common/http.types.js';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { type ApiModuleOptions, ApiModule } from './app.module.js';
import { requestId } from './common/request-id.js';
import { requireJsonBodies } from './common/content-type.middleware.js';
import { mountQueueBoard } from './admin/queue-board.js';
import { mountConsole } from './console/console-assets.js';

/**
 * Builds the API application (not listening): used by main.ts and by tests, which pass their own
 * config object instead of process.env.
 */
export async function createApiApp(config: FleetgateConfig, options: ApiModuleOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, options), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Kubeconfigs with CA bundles can pass express's 100 kB default. Any JSON text is parsed (not
  // only objects and arrays), so a scalar body gets the schema's "expected object", not "not JSON".
  app.useBodyParser('json', { limit: '2mb', strict: false });
  // Request ids first, so REST, GraphQL and the logs all see the same one.
  app.use((req: HttpRequest, res: HttpResponse, next: NextFunction) => {
    req.id = requestId(req, res);
    next();
  });
  app.use(requireJsonBodies);
  app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('fleetgate')
      .setDescription('Cluster registry, tokens and audit log. Errors are application/problem+json.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });
  mountQueueBoard(app);
  mountConsole(app, options.consoleDir);
  await app.init();
  return app;
}
