# Shenbao with Tesseract (chi_sim, bod, osd) and Poppler. Build: docker build -t shenbao .
FROM golang:1.26-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libtesseract-dev libleptonica-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -o /out/shenbao .

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-bod tesseract-ocr-osd poppler-utils fonts-wqy-microhei ca-certificates wget \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/shenbao shenbao && mkdir -p /var/lib/shenbao && chown shenbao /var/lib/shenbao
COPY --from=build /out/shenbao /usr/local/bin/shenbao
USER shenbao
WORKDIR /var/lib/shenbao
ENV SHENBAO_ADDR=0.0.0.0:8080 SHENBAO_DATA_DIR=/var/lib/shenbao
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s CMD wget -qO- http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["shenbao"]
CMD ["serve"]
