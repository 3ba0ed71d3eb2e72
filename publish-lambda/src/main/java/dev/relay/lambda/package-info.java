/** publish-api as an AWS Lambda function behind API Gateway. */
package dev.relay.lambda;
